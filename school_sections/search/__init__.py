"""The school sites' search: its index and its queries, in kk, ru and en."""
