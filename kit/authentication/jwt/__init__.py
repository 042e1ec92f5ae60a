"""JWT authentication on djangorestframework-simplejwt, with revocation and cookie transport."""
