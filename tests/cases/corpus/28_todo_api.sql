-- Todo API: LANGUAGE sql functions (checked at creation), BEGIN ATOMIC and RETURN bodies,
-- overloads calling each other, OUT parameters, an expression index on a function,
-- SECURITY DEFINER with an empty search_path, a plpgsql function.

CREATE SCHEMA api;

CREATE TABLE api.todos (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL,
  done boolean NOT NULL DEFAULT false,
  due date
);

CREATE FUNCTION api.open_todos() RETURNS SETOF api.todos
  LANGUAGE sql STABLE
  AS $$ SELECT * FROM api.todos WHERE NOT done $$;

CREATE FUNCTION api.todo_count(include_done boolean DEFAULT false) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  BEGIN ATOMIC
    SELECT count(*) FROM api.todos AS t WHERE include_done OR NOT t.done;
  END;

CREATE FUNCTION api.add_todo(title text, due date DEFAULT NULL, OUT id bigint, OUT created boolean)
  LANGUAGE sql
  AS $$
    INSERT INTO api.todos (title, due) VALUES (add_todo.title, add_todo.due)
    RETURNING todos.id, true
  $$;

CREATE FUNCTION api.overdue(on_date date) RETURNS TABLE (id bigint, title text)
  LANGUAGE sql STABLE ROWS 50
  AS $$ SELECT t.id, t.title FROM api.todos AS t WHERE t.due < on_date AND NOT t.done $$;

CREATE FUNCTION api.overdue() RETURNS TABLE (id bigint, title text)
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT o.id, o.title FROM api.overdue(current_date) AS o;
  END;

CREATE FUNCTION api.slugify(s text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT LEAKPROOF COST 5
  RETURN lower(regexp_replace(s, '[^a-zA-Z0-9]+', '-', 'g'));

CREATE INDEX todos_title_slug_idx ON api.todos (api.slugify(title));

CREATE FUNCTION api.mark_done(todo_id bigint) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = ''
  AS $$ UPDATE api.todos SET done = true WHERE id = todo_id $$;

REVOKE ALL ON FUNCTION api.mark_done(bigint) FROM PUBLIC;

CREATE FUNCTION api.nth_todo(n integer) RETURNS api.todos
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  r api.todos;
BEGIN
  SELECT * INTO r FROM api.todos ORDER BY id OFFSET n - 1 LIMIT 1;
  RETURN r;
END
$$;

CREATE VIEW api.todo_stats AS
  SELECT api.todo_count() AS open, api.todo_count(true) AS total;

COMMENT ON FUNCTION api.todo_count(boolean) IS 'Open todos, or all of them.';
