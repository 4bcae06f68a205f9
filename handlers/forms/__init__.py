"""The form engine and its field specs: forms are data, one engine walks any of them."""
