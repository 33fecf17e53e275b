"""What every page shows above its content: settings that stop the app, demo accounts anyone can sign in to."""
from __future__ import annotations

import streamlit as st

from config import SettingsInvalid, settings
from dossier.demo import public_demo_accounts


@st.cache_data(ttl=60, show_spinner=False)
def _public_demo_accounts(database_url: str) -> list[str]:
    """Checked at most once a minute per installation: the notice need not cost every page a query."""
    from ui.state import db_session
    with db_session() as s:
        return public_demo_accounts(s)


def settings_or_stop() -> None:
    """Stop with the list of bad settings instead of failing at the first use of one."""
    try:
        settings()
    except SettingsInvalid as exc:
        st.error(exc.message, icon=":material/settings:")
        st.stop()


def schema_or_stop() -> None:
    """A replica that must not migrate (AUDIT_MIGRATE_ON_START=false) serves nobody while the schema is behind."""
    from ui.state import schema_problem
    problem = schema_problem()
    if problem:
        st.error(problem, icon=":material/database:")
        st.stop()


def demo_accounts_notice() -> None:
    public = _public_demo_accounts(settings().effective_database_url)
    if public:
        st.sidebar.warning(f"演示账户 {'、'.join(public)} 仍在使用 README 中公开的密码，任何人都能登录。"
                           "正式使用前请修改其密码或停用这些账户。", icon=":material/warning:")
