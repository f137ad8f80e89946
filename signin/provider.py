"""allauth's OpenID Connect provider, naming each person by the claims of their provider's
preset (Entra: ``tid:oid``) instead of ``sub`` alone. allauth's provider registry imports this
module because ``signin`` is an installed app; allauth's own openid_connect app is not."""

from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    _pick_data,
)

from signin.presets import stable_subject


class OrganizationOIDCProvider(OpenIDConnectProvider):
    def extract_uid(self, data):
        uid_claims = tuple(self.app.settings.get("uid_claims", ("sub",)))
        return stable_subject(_pick_data(data), uid_claims)


provider_classes = [OrganizationOIDCProvider]
