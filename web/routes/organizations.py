"""`/api/v1/organization`: the caller's own organization and its security policy."""

from __future__ import annotations

from litestar import Controller, get, put
from litestar.params import JSONBody

from domains.models import Organization
from domains.organizations.schemas import OrganizationOut, SecurityPolicyUpdate
from web.deps import IdentityDep, ServicesDep
from web.guards import ADMINS, enrolled


def organization_out(org: Organization) -> OrganizationOut:
    return OrganizationOut(
        id=str(org.id),
        slug=org.slug,
        name=org.name,
        timezone=org.timezone,
        require_totp_for_staff=org.require_totp_for_staff,
    )


class OrganizationController(Controller):
    path = "/organization"
    tags = ["organization"]

    @get("/", guards=[enrolled])
    async def get_organization(self, identity: IdentityDep, services: ServicesDep) -> OrganizationOut:
        return organization_out(await services.organizations.get(identity.principal.org_id))

    @put("/security", guards=[ADMINS])
    async def set_security_policy(
        self, data: JSONBody[SecurityPolicyUpdate], identity: IdentityDep, services: ServicesDep
    ) -> OrganizationOut:
        """Require (or stop requiring) a TOTP second factor for every staff role."""
        org_id = identity.principal.org_id
        return organization_out(await services.organizations.set_totp_policy(org_id, data.require_totp_for_staff))
