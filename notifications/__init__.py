"""E-mail reminders of what is due (one digest per person per day) and the regulator's monthly sheets, as
commands for a daily scheduler: `python -m notifications send-due`, `python -m notifications regulator`."""
