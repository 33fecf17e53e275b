"""The HTTP side of the app: routes the server answers itself (sign-in cookie, health), mounted by serve.py."""
