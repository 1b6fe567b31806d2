-- Nested block comments, also around and inside a statement.
-- expect: ok
/* outer /* inner; with a semicolon */ still a comment; */
CREATE TABLE nested_comments (id int /* a /* b */ c */, -- line comment; here
  name text);
