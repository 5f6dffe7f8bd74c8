"""HTTP: Litestar controllers, guards, error mapping, pages and static assets."""
