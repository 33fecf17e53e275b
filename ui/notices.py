"""What every page shows above its content: settings that stop the app, demo accounts anyone can sign in to."""
from __future__ import annotations

import streamlit as st

from config import SettingsInvalid, settings
from dossier.demo import public_demo_accounts


def settings_or_stop() -> None:
    """Stop with the list of bad settings instead of failing at the first use of one."""
    try:
        settings()
    except SettingsInvalid as exc:
        st.error(exc.message, icon=":material/settings:")
        st.stop()


def demo_accounts_notice() -> None:
    from ui.state import db_session
    with db_session() as s:
        public = public_demo_accounts(s)
    if public:
        st.sidebar.warning(f"演示账户 {'、'.join(public)} 仍在使用 README 中公开的密码，任何人都能登录。"
                           "正式使用前请修改其密码或停用这些账户。", icon=":material/warning:")
