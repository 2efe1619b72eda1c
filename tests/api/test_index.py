"""GET /api/ answers with an index of the endpoints, not a 404."""


def test_api_root_lists_the_endpoints_and_links_the_docs(client):
    response = client.get("/api/")

    assert response.status_code == 200
    body = response.json()
    assert body["docs"] == "/api/docs/"
    assert body["endpoints"]["api-questions"] == "/api/questions/"
    assert body["endpoints"]["api-forecasts"] == "/api/questions/<slug:slug>/forecasts/"
    assert client.get(body["docs"]).status_code == 200
