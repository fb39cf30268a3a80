"""The tool's web site: status and reports of every program, read from the bot's state database."""
