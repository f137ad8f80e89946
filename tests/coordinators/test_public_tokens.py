import hashlib

from coordinators import public_tokens


def test_a_token_has_at_least_128_bits_and_only_its_digest_is_kept():
    raw, stored = public_tokens.mint()
    assert len(raw) >= 43  # 32 bytes of URL-safe base64
    assert raw not in stored and len(stored) == public_tokens.DIGEST_LENGTH
    assert public_tokens.matches(raw, stored)
    assert not public_tokens.matches(raw[:-1] + ("A" if raw[-1] != "A" else "B"), stored)
    assert public_tokens.mint()[0] != raw


def test_junk_is_not_plausible():
    raw, _ = public_tokens.mint()
    assert public_tokens.plausible(raw)
    junks = ["", "short", "a" * 101, "../../etc/passwd" + "x" * 20, "ÿ" * 30, "x" * 30 + "\x00"]
    for junk in junks:
        assert not public_tokens.plausible(junk)


def test_a_token_is_plausible_from_20_to_100_characters():
    for length, plausible in ((19, False), (20, True), (100, True), (101, False)):
        assert public_tokens.plausible("a" * length) is plausible


def test_a_link_with_a_lone_surrogate_is_hashed_not_an_error():
    assert public_tokens.digest("\ud800" * 30) == hashlib.sha256(b"\xed\xa0\x80" * 30).hexdigest()
    assert not public_tokens.matches("\ud800" * 30, public_tokens.mint()[1])


def test_a_page_opened_with_a_token_leaks_no_referrer_and_is_not_cached():
    headers = {}
    assert public_tokens.no_trace(headers) is headers
    assert headers == {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
