"""Accounts and API tokens (multi-user mode). Tokens are shown once and stored only as hashes."""

from __future__ import annotations

from fastapi import APIRouter

from crampwise.api.deps import SettingsDep, StoreDep, UserDep
from crampwise.api.errors import ApiError, error_responses
from crampwise.api.schemas import AccountOut, MeOut, TokenOut
from crampwise.api.security import hash_token, new_token

router = APIRouter(prefix="/v1", tags=["accounts"], responses=error_responses(400, 401, 403, 413, 429, 500))


def create_account(store: object) -> tuple[str, str]:
    user_id = str(store.create_user())  # type: ignore[attr-defined]
    token = new_token()
    store.add_token(user_id, hash_token(token))  # type: ignore[attr-defined]
    return user_id, token


@router.post("/accounts", response_model=AccountOut, status_code=201)
def signup(settings: SettingsDep, store: StoreDep) -> AccountOut:
    """Create an account (multi-user mode). The token in the answer is shown only this once."""
    if not settings.multi_user:
        raise ApiError("forbidden", "This server runs in single-user mode: no account is needed.")
    if not settings.allow_signup:
        raise ApiError("forbidden", "New accounts are not accepted on this server.")
    user_id, token = create_account(store)
    return AccountOut(user_id=user_id, token=token)


@router.post("/tokens", response_model=TokenOut, status_code=201)
def add_token(user: UserDep, settings: SettingsDep, store: StoreDep) -> TokenOut:
    """Another API token for the same account (e.g. for a second device)."""
    if not settings.multi_user:
        raise ApiError("forbidden", "This server runs in single-user mode: no token is needed.")
    token = new_token()
    store.add_token(user, hash_token(token))
    return TokenOut(token=token)


@router.get("/me", response_model=MeOut)
def me(user: UserDep, settings: SettingsDep) -> MeOut:
    return MeOut(user_id=user, multi_user=settings.multi_user)
