-- Surveys stored as JSON: a domain over jsonb with checks, generated columns extracting
-- fields, a jsonb_path_ops GIN index, a function returning jsonb, a trigram-free search.

CREATE DOMAIN survey_answers AS jsonb
  CONSTRAINT answers_is_object CHECK (jsonb_typeof(VALUE) = 'object');

ALTER DOMAIN survey_answers ADD CONSTRAINT answers_has_version CHECK (VALUE ? 'version') NOT VALID;

CREATE TABLE surveys (
  id integer PRIMARY KEY,
  title text NOT NULL,
  questions jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE responses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  survey_id integer NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
  answers survey_answers NOT NULL,
  score integer GENERATED ALWAYS AS ((answers ->> 'score')::integer) STORED,
  submitted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX responses_answers_idx ON responses USING gin (answers jsonb_path_ops);

CREATE INDEX responses_survey_score_idx ON responses (survey_id, score DESC);

CREATE FUNCTION survey_summary(sid integer) RETURNS jsonb
  LANGUAGE sql STABLE
  AS $$
    SELECT jsonb_build_object(
      'survey', s.title,
      'responses', count(r.id),
      'avg_score', avg(r.score))
    FROM surveys AS s
    LEFT JOIN responses AS r ON r.survey_id = s.id
    WHERE s.id = sid
    GROUP BY s.title
  $$;

CREATE VIEW high_scores AS
  SELECT r.survey_id, r.id AS response_id, r.score
  FROM responses AS r
  WHERE r.score >= 9;

COMMENT ON DOMAIN survey_answers IS 'A JSON object with at least a version key.';
