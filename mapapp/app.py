"""The Streamlit dashboard: widgets and layout only; the logic lives in importable modules."""

import streamlit as st

st.set_page_config(page_title="Itinera", layout="wide")
st.title("Itinera")
st.caption("A sourced map of the places, bases and routes a text describes, over time.")
