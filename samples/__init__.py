"""Sample registers, the company's own records imported and checked, and its service targets."""
