"""Account flows over the API: sign-up, password reset and change, email change, TOTP, sessions."""
