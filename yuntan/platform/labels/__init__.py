"""Carbon footprint labels in the platform: issued on verified studies by the
certification body, signed, suspended or revoked with a reason, checked by anyone on a
public page that the QR code opens."""
