"""Reads of the forecasting data, shaped for pages, the API and scoring."""
