"""Every SQLAlchemy table, one module per aggregate; importing this package registers them all."""

from domains.models.auth_sessions import AuthSession, RefreshToken
from domains.models.organizations import Organization
from domains.models.users import User

__all__ = ["AuthSession", "Organization", "RefreshToken", "User"]
