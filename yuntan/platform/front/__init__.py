"""Front pages (前台页面): the home page and the health check."""
