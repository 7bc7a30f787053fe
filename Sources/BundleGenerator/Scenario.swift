import OOMLens
