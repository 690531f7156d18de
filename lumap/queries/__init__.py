"""The questions pages ask of the data (a map's rows, a compare table, a mission report):
the store plus :mod:`lumap.analysis`, no Streamlit. :mod:`lumap.ui.cache` caches them."""
