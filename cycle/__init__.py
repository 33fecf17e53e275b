"""The certification cycle: before the visit, meetings, certificates, the cycle, changes and what is due."""
