"""Cross-check data (核对数据): what the multi-source cross-checks compare a study's
activity data with — energy-meter readings (uploaded as CSV or pushed through the API by an
energy-monitoring system), utility bills and invoices, and green-electricity certificates
and contracts."""
