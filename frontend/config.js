// The API origins (scheme://host[:port]) this page may call. The login form sends a password
// to the API, so the page refuses any other origin, whether it comes from ?api=, the "API
// base URL" field or a link in an answer. The first one is the default. Deploying the page
// for another API: list that API's origin here.
export const API_ORIGINS = ["http://127.0.0.1:8000", "http://localhost:8000"];
