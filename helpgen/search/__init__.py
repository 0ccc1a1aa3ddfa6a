"""Search: text pipeline shared with the browser, index building, and querying."""
