"""The Streamlit interface: navigation, shared widgets and one view per page (ui/views)."""
