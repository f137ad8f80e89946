"""What the browser journeys check on every page they pass: serious WCAG A/AA violations
(axe) and Content-Security-Policy complaints in the console."""

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def serious_violations(page):
    """axe's serious and critical findings on the page as a reader sees it: once every finite
    animation and transition has ended (a button fading in its focus colour, a tooltip
    appearing, a button enabled again after a background request), whose frames in between
    no one reads and axe would measure. Two animation frames first, so that a change made
    just before (a script re-enabling a button) has started its transition."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(animation => animation.effect
                && animation.effect.getComputedTiming().endTime !== Infinity)
            .map(animation => animation.finished.catch(() => null)))"""
    )
    results = Axe().run(page, options=WCAG_AA)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def watch_csp(page):
    """Collect Content-Security-Policy complaints from the console."""
    complaints = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return complaints


def watch(page):
    """Accept every confirmation and collect Content-Security-Policy complaints."""
    page.on("dialog", lambda dialog: dialog.accept())
    return watch_csp(page)
