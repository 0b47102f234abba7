-- Hand-made funnel fixture (funnel_test.go holds the expected numbers and their arithmetic).
-- Funnel "signup": A -> B -> C within 1 day; range of the tests [2024-03-01, 2024-03-08) UTC.
-- "plan" is the breakdown property; it is read from each subject's ENTRY event.
INSERT INTO funnels (name, title, steps, conversion_window) VALUES
    ('signup', 'Sign-up', ARRAY['A', 'B', 'C'], INTERVAL '1 day'),
    ('trial',  'Trial',   ARRAY['A', 'C'],      INTERVAL '7 days');

INSERT INTO product_events (occurred_at, subject_id, event, properties, source, external_id) VALUES
    -- u1: A, B, C in order: reaches 3 (A->B 1 h, B->C 2 h)
    ('2024-03-01 10:00+00', 'u1', 'A', '{"plan":"pro"}',  'fx', 'e01'),
    ('2024-03-01 11:00+00', 'u1', 'B', '{}',              'fx', 'e02'),
    ('2024-03-01 13:00+00', 'u1', 'C', '{}',              'fx', 'e03'),
    -- u2: A, C, B: C before B does not count, reaches 2 (A->B 2 h)
    ('2024-03-01 10:00+00', 'u2', 'A', '{"plan":"free"}', 'fx', 'e04'),
    ('2024-03-01 11:00+00', 'u2', 'C', '{}',              'fx', 'e05'),
    ('2024-03-01 12:00+00', 'u2', 'B', '{}',              'fx', 'e06'),
    -- u3: B before A: out of order, reaches 1 only
    ('2024-03-02 09:00+00', 'u3', 'B', '{}',              'fx', 'e07'),
    ('2024-03-02 10:00+00', 'u3', 'A', '{"plan":"free"}', 'fx', 'e08'),
    ('2024-03-02 11:00+00', 'u3', 'C', '{}',              'fx', 'e09'),
    -- u4: repeated A does not restart the window: B 23 h after the FIRST A counts, C 25 h after
    -- it does not (although only 13 h after the second A); reaches 2 (A->B 23 h); plan of the
    -- entry (first) A is "pro"
    ('2024-03-02 08:00+00', 'u4', 'A', '{"plan":"pro"}',  'fx', 'e10'),
    ('2024-03-02 20:00+00', 'u4', 'A', '{"plan":"free"}', 'fx', 'e11'),
    ('2024-03-03 07:00+00', 'u4', 'B', '{}',              'fx', 'e12'),
    ('2024-03-03 09:00+00', 'u4', 'C', '{}',              'fx', 'e13'),
    -- u5: window expiry: B 25 h after A; reaches 1; no plan property -> "(none)"
    ('2024-03-03 10:00+00', 'u5', 'A', '{}',              'fx', 'e14'),
    ('2024-03-04 11:00+00', 'u5', 'B', '{}',              'fx', 'e15'),
    -- u6: duplicate B and C events: counted once (uniques); reaches 3 (0.5 h, 1.5 h)
    ('2024-03-04 10:00+00', 'u6', 'A', '{"plan":"pro"}',  'fx', 'e16'),
    ('2024-03-04 10:30+00', 'u6', 'B', '{}',              'fx', 'e17'),
    ('2024-03-04 10:45+00', 'u6', 'B', '{}',              'fx', 'e18'),
    ('2024-03-04 12:00+00', 'u6', 'C', '{}',              'fx', 'e19'),
    ('2024-03-04 13:00+00', 'u6', 'C', '{}',              'fx', 'e20'),
    -- u7: A only before the range: never enters, although B and C are in range
    ('2024-02-29 23:00+00', 'u7', 'A', '{"plan":"pro"}',  'fx', 'e21'),
    ('2024-03-01 01:00+00', 'u7', 'B', '{}',              'fx', 'e22'),
    ('2024-03-01 02:00+00', 'u7', 'C', '{}',              'fx', 'e23'),
    -- u8: an A before the range and one in it: enters at the in-range A ("free"); reaches 2 (2 h)
    ('2024-02-29 23:00+00', 'u8', 'A', '{"plan":"pro"}',  'fx', 'e24'),
    ('2024-03-05 10:00+00', 'u8', 'A', '{"plan":"free"}', 'fx', 'e25'),
    ('2024-03-05 12:00+00', 'u8', 'B', '{}',              'fx', 'e26'),
    -- u9: enters late; B and C after the range end but inside the window count: reaches 3 (3 h, 1 h)
    ('2024-03-07 22:00+00', 'u9', 'A', '{"plan":"pro"}',  'fx', 'e27'),
    ('2024-03-08 01:00+00', 'u9', 'B', '{}',              'fx', 'e28'),
    ('2024-03-08 02:00+00', 'u9', 'C', '{}',              'fx', 'e29'),
    -- u10: other events between the steps do not matter: reaches 3 (1 h, 1 h)
    ('2024-03-06 10:00+00', 'u10', 'A', '{"plan":"free"}', 'fx', 'e30'),
    ('2024-03-06 10:30+00', 'u10', 'X', '{}',              'fx', 'e31'),
    ('2024-03-06 11:00+00', 'u10', 'B', '{}',              'fx', 'e32'),
    ('2024-03-06 11:30+00', 'u10', 'X', '{}',              'fx', 'e33'),
    ('2024-03-06 12:00+00', 'u10', 'C', '{}',              'fx', 'e34');
