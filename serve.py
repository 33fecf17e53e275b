"""ASGI entry: the Streamlit app with the server's own routes (web/routes.py). `scripts/run-app.sh` runs it with
`streamlit run serve.py`; `uvicorn serve:app` works too. `streamlit run audit_app.py` still runs the app alone,
without these routes (the page then writes the sign-in cookie itself, as before)."""
import streamlit as st

from web import routes

routes.ACTIVE = True
app = st.App("audit_app.py", routes=routes.ROUTES)
