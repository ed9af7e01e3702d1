"""Background life-cycle inventory databases imported from openLCA JSON-LD: kept as
uploaded, indexed for browsing, each process's footprint per unit computed, and usable as
the source of a factor dataset draft."""
