"""What the account endpoints say, in one place: views answer with these and the API's
documentation shows them."""

LINK_INVALID_MESSAGE = "This link is invalid, expired or already used; ask for a new one."
ADDRESS_TAKEN_MESSAGE = "This address now belongs to another account; this link cannot be used."
# The same answer whether or not an account has the address.
LINK_SENT_MESSAGE = "If an account can use this address, we sent it a link; it expires soon."
EMAIL_CHANGE_SENT_MESSAGE = (
    "We sent a link to the new address; your account moves to it once you open the link."
)
UNVERIFIED_LOGIN_MESSAGE = (
    "Verify your e-mail address first: open the link we sent you, or ask for a new one with "
    "POST /api/auth/email/verify/resend/."
)
