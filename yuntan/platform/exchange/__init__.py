"""Supply-chain exchange (供应链数据交换): the platform as a WBCSD PACT host (v3.0 and v2.3)
for the footprints enterprises choose to share, and as a PACT client that pulls suppliers'
footprints for use as primary data."""
