"""The properties, one module per area; each checks one claim against any implementation."""
