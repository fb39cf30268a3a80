"""Tools for the local dev wikis: acting as their accounts (for the demo and the tests)."""
