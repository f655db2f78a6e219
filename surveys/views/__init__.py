"""Survey pages: admin (the agency's rounds, /surveys/), public (the respondents' form, /s/<code>/)
and flow (the form's steps, which both the public link and interviewer mode serve)."""
