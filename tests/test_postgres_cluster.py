"""The throwaway PostgreSQL the storage tests use: it really runs, as a non-root user, and isolates tests."""

from __future__ import annotations

import os

from tests.postgres import TemporaryCluster


def test_the_cluster_answers_through_its_socket_as_a_non_root_server(postgres_cluster: TemporaryCluster) -> None:
    assert postgres_cluster.psql("SELECT 6 * 7").strip() == "42"
    owner = postgres_cluster.psql("SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database LIMIT 1").strip()
    assert owner == "postgres"
    pid = int((postgres_cluster.data_dir / "postmaster.pid").read_text().split()[0])
    assert os.stat(f"/proc/{pid}").st_uid != 0  # PostgreSQL refuses root; CI runs as root


def test_each_test_database_is_new_and_empty(postgres_cluster: TemporaryCluster) -> None:
    first, second = postgres_cluster.new_database(), postgres_cluster.new_database()
    assert first != second
    name = first.split("/")[-1].split("?")[0]
    assert postgres_cluster.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name).strip() == "0"
