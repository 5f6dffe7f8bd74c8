"""`/api/v1/organization`: the caller's own organization and its security policy."""

from __future__ import annotations

from litestar import Controller, get, put
from litestar.params import JSONBody

from domains.kernel.security import Role
from domains.models import Organization
from domains.organizations.schemas import OrganizationOut, SecurityPolicyUpdate
from domains.organizations.service import OrganizationService
from web.deps import HubDep, IdentityDep
from web.guards import enrolled, roles


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
    async def get_organization(self, identity: IdentityDep, hub: HubDep) -> OrganizationOut:
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            return organization_out(await OrganizationService(uow.session, uow.bus).get(identity.principal.org_id))

    @put("/security", guards=[roles(Role.ADMIN)])
    async def set_security_policy(
        self, data: JSONBody[SecurityPolicyUpdate], identity: IdentityDep, hub: HubDep
    ) -> OrganizationOut:
        """Require (or stop requiring) a TOTP second factor for every staff role."""
        async with hub.unit_of_work(identity.principal.org_id) as uow:
            org = await OrganizationService(uow.session, uow.bus).set_totp_policy(
                identity.principal.org_id, data.require_totp_for_staff
            )
            return organization_out(org)
