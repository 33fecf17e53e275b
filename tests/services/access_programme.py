"""The access matrix's rows for the programme (tests/services/test_access_matrix.py): what is due across
companies, the regulator's monthly sheets, and a user's e-mail address. Same signature and expectations as there."""
from datetime import date

from accounts.users import set_email
from cycle.due import programme_items
from cycle.regulator import regulator_rows

PROGRAMME_ACTIONS = {
    "view what is due": lambda db, w, by, who, e, c: programme_items(db, by=by, today=date(2026, 11, 30)),
    "export the regulator's sheets": lambda db, w, by, who, e, c: regulator_rows(db, year=2026, month=11, by=by),
    "set a user's e-mail address": lambda db, w, by, who, e, c: set_email(
        db, user_id=w.users["li"].id, email="li@body.example.cn", by=by),
}
PROGRAMME_EXPECTED = {
    "view what is due":                {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "export the regulator's sheets":   {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
    "set a user's e-mail address":     {"admin": "YY", "zhang": "NN", "chen": "NN", "client": "NN"},
}
