"""Storage: the connection, the models and the records several steps share, the schema."""
