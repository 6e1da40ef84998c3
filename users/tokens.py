"""Reading the claims of tokens this service signed."""

# The largest id a BigAutoField holds; a larger number cannot name a row.
_MAX_USER_ID = 2**63 - 1


def parse_user_id(claim: object) -> int | None:
    """The user id a token names (simplejwt writes it as a string of digits), or None when
    the claim cannot be one, so that it never reaches a query as a non-integer."""
    if isinstance(claim, int) and not isinstance(claim, bool):
        claim = str(claim)
    if not (isinstance(claim, str) and claim.isascii() and claim.isdigit() and len(claim) <= 19):
        return None
    user_id = int(claim)
    return user_id if 0 < user_id <= _MAX_USER_ID else None
