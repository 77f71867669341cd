"""Built-in reference continua, registered through the plugin hooks."""
