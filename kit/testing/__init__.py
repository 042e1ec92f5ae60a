"""The kit's testing toolkit: a pytest plugin with clients, fixtures and assertions."""
