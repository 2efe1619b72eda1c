"""API views, thin: input serializer → service or selector → output serializer."""
