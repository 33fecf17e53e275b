"""Documents as a certification body issues them: its templates and the issued record."""
