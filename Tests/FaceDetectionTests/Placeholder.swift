// Tests for this area are added with its implementation.
