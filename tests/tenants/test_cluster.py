"""Issue 15: where schools live on a Citus cluster, and moving them. On a single PostgreSQL the reads say
there is no cluster and the commands refuse in plain words; on a cluster (``make test-citus``) schools are
spread over the nodes and one moves while its site keeps answering."""

import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test import Client

from tenants.cluster import (
    ClusterError,
    cluster_enabled,
    cluster_nodes,
    node_find,
    school_move,
    school_nodes,
    schools_local,
    schools_per_node,
)
from tenants.models import School
from tests.factories import console_client, school_create


@pytest.fixture
def office_client(db, client_for):
    return console_client(client_for, "office-cluster")


def _single_node():
    if cluster_enabled():
        pytest.skip("this database is a Citus cluster")


def test_on_one_server_there_are_no_nodes_and_the_commands_say_why(school):
    _single_node()
    assert cluster_nodes() == [] and school_nodes([school.school.schema_name]) == {}
    output = io.StringIO()
    call_command("cluster_nodes", "--language", "en", stdout=output)
    assert "not a Citus cluster" in output.getvalue()
    for command in (
        ["school_move", school.school.schema_name, "1"],
        ["schools_rebalance"],
        ["cluster_node", "add", "10.0.0.7:5432"],
        ["cluster_node", "drain", "1"],
    ):
        with pytest.raises(CommandError, match="not a Citus cluster"):
            call_command(*command, "--language", "en")


def test_a_school_that_does_not_exist_is_named_in_the_refusal(db):
    with pytest.raises(CommandError, match="no-such-school"):
        call_command("school_move", "no-such-school", "1", "--language", "en")


def test_the_console_shows_no_node_on_one_server(school, office_client):
    _single_node()
    response = office_client.get(f"/schools/{school.school.pk}/")
    assert response.status_code == 200 and b"database node" not in response.content


def test_on_a_cluster_schools_spread_over_the_nodes_and_one_moves_while_it_answers(
    session_schools, client_for, django_db_blocker
):
    """Committed schools, outside any test transaction: Citus moves a schema outside transaction blocks."""
    with django_db_blocker.unblock():
        if not cluster_enabled():
            pytest.skip("needs a Citus cluster: make test-citus")
        office = console_client(client_for, "office-cluster-move")
        schools = [provisioned.school for provisioned in session_schools.values()]
        nodes = school_nodes([school.schema_name for school in schools])
        assert len(nodes) == len(schools)  # every school schema is distributed
        assert len(cluster_nodes()) >= 2
        school, hostname = session_schools["alpha"].school, session_schools["alpha"].hostname
        before = nodes[school.schema_name]
        target = next(node for node in cluster_nodes() if node.node_id != before.node_id)
        with pytest.raises(ClusterError):
            node_find("nowhere:1")
        try:
            assert school_move(schema_name=school.schema_name, to=target).node_id == before.node_id
            assert school_nodes([school.schema_name])[school.schema_name].node_id == target.node_id
            assert client_for(hostname).get("/").status_code == 200
            response = office.get(f"/schools/{school.pk}/")
            assert f"database node {target.address}".encode() in response.content
        finally:
            school_move(schema_name=school.schema_name, to=before)  # as it was, for the other tests
            # The regional account stays (the test database goes at the end of the run): deleting it here, in
            # the public schema, would look for its rows in tables only the schools' schemas have.


def test_on_a_cluster_a_rebalance_spreads_schools_gathered_on_one_node(session_schools, django_db_blocker):
    with django_db_blocker.unblock():
        if not cluster_enabled():
            pytest.skip("needs a Citus cluster: make test-citus")
        alpha, beta = (session_schools[name].school.schema_name for name in ("alpha", "beta"))
        placed = school_nodes([alpha, beta])
        try:
            school_move(schema_name=beta, to=placed[alpha])  # both on one node, the other one empty
            assert school_nodes([alpha, beta])[beta] == placed[alpha]

            output = io.StringIO()
            call_command("schools_rebalance", "--wait", "--language", "en", stdout=output)

            spread = school_nodes([alpha, beta])
            assert spread[alpha].node_id != spread[beta].node_id, output.getvalue()
            listing = io.StringIO()
            call_command("cluster_nodes", "--language", "en", stdout=listing)
            assert all(node.address in listing.getvalue() for node in cluster_nodes())
        finally:
            for schema, node in placed.items():
                school_move(schema_name=schema, to=node)


def _cluster_only():
    if not cluster_enabled():
        pytest.skip("needs a Citus cluster: make test-citus")


def test_a_node_named_without_a_port_is_refused_in_plain_words(db):
    with pytest.raises(CommandError, match="host:port"):
        call_command("cluster_node", "add", "10.0.0.7", "--language", "en")


def _browse(hostname: str, stop: threading.Event, answers: list, errors: list) -> None:
    """A visitor reading the school's home page and sitemap until told to stop; every answer is recorded
    with its time, every exception (a Django test client raises the view's) as an error."""
    client = Client(HTTP_HOST=hostname, HTTP_ACCEPT_LANGUAGE="ru")
    try:
        while not stop.is_set():
            for path in ("/", "/sitemap.xml"):
                try:
                    response = client.get(path)
                except Exception as exc:
                    errors.append((time.monotonic(), path, repr(exc)))
                else:
                    answers.append((time.monotonic(), path, response.status_code))
    finally:
        connection.close()


def test_on_a_cluster_a_school_moved_while_visitors_browse_it_answers_every_request(
    session_schools, django_db_blocker
):
    with django_db_blocker.unblock():
        _cluster_only()
        provisioned = session_schools["beta"]
        schema = provisioned.school.schema_name
        before = school_nodes([schema])[schema]
        target = next(node for node in cluster_nodes() if node.node_id != before.node_id)
        stop, answers, errors = threading.Event(), [], []
        visitors = [
            threading.Thread(target=_browse, args=(provisioned.hostname, stop, answers, errors)) for _ in range(2)
        ]
        for visitor in visitors:
            visitor.start()
        try:
            while len(answers) < 10 and not errors:
                time.sleep(0.05)
            moving = time.monotonic()
            school_move(schema_name=schema, to=target)
            moved = time.monotonic()
            served = len(answers)
            while len(answers) < served + 10 and not errors:
                time.sleep(0.05)
        finally:
            stop.set()
            for visitor in visitors:
                visitor.join(timeout=60)
            school_move(schema_name=schema, to=before)  # as it was, for the other tests
        assert errors == []
        assert {status for _, _, status in answers} == {200}
        during = [answer for answer in answers if moving <= answer[0] <= moved]
        assert during, "no request was served while the school moved: the test proved nothing"
        assert any(answer[0] > moved for answer in answers)  # and from the new node afterwards


def test_on_a_cluster_a_node_is_drained_removed_and_added_back_and_takes_schools_again(
    session_schools, django_db_blocker
):
    """What adding a machine is (docs/citus.md): a node registered with ``cluster_node add --rebalance``
    takes its share of the schools. The test empties and unregisters one of the cluster's workers first, so
    that the node it then adds is new to this database."""
    with django_db_blocker.unblock():
        _cluster_only()
        schemas = [provisioned.school.schema_name for provisioned in session_schools.values()]
        leaving = cluster_nodes()[-1]
        output = io.StringIO()
        call_command("cluster_node", "drain", leaving.address, "--language", "en", stdout=output)
        assert leaving.node_id not in {node.node_id for node in school_nodes(schemas).values()}
        with pytest.raises(CommandError, match="still holds"):
            # Removing a node that holds schools is refused (here: the other one, which holds them all).
            call_command("cluster_node", "remove", cluster_nodes()[0].address, "--language", "en")
        call_command("cluster_node", "remove", leaving.address, "--language", "en", stdout=output)
        assert leaving.address not in {node.address for node in cluster_nodes()}

        call_command("cluster_node", "add", leaving.address, "--rebalance", "--language", "en", stdout=output)
        added = node_find(leaving.address)
        assert added.holds_schools and added.active
        assert schools_per_node().get(added.node_id, 0) >= 1, output.getvalue()
        assert len(set(school_nodes(schemas).values())) == 2
        for provisioned in session_schools.values():
            assert Client(HTTP_HOST=provisioned.hostname).get("/").status_code == 200


def test_on_a_cluster_a_school_query_is_one_task_on_one_node_and_a_join_with_the_coordinator_is_refused(
    session_schools, django_db_blocker
):
    """Evidence for docs/citus.md ("Every school query goes to one node"): a page's query is a router plan,
    and the suite runs with the two other shapes turned into errors, so that any query of the platform
    that fanned out or joined a school table with a public one would have failed its test."""
    with django_db_blocker.unblock():
        _cluster_only()
        provisioned = session_schools["alpha"]
        schema = provisioned.school.schema_name
        node = school_nodes([schema])[schema]
        connection.set_tenant(provisioned.school)
        try:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN SELECT id, title FROM wagtailcore_page WHERE depth = 2 ORDER BY path")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Task Count: 1" in plan and f"port={node.port}" in plan, plan
            with pytest.raises(DatabaseError, match="local table"), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM wagtailcore_page p JOIN public.tenants_school s ON s.id = p.id")
        finally:
            connection.set_schema_to_public()


def test_on_a_cluster_a_school_opened_before_it_is_placed_on_a_worker_by_cluster_setup(django_db_blocker):
    """A region that outgrew one server: its database becomes a cluster's, and the schools opened before
    (plain schemas on what is now the coordinator) are placed on the workers, their sites unchanged."""
    with django_db_blocker.unblock():
        _cluster_only()
        with connection.cursor() as cursor:
            cursor.execute("SET citus.enable_schema_based_sharding = off")  # as on the single server it was
        try:
            provisioned = school_create(subdomain="before-the-cluster")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET citus.enable_schema_based_sharding")
        schema = provisioned.school.schema_name
        try:
            assert schools_local() == [schema]
            workers = ",".join(node.address for node in cluster_nodes())
            output = io.StringIO()
            call_command(
                "cluster_setup", "--workers", workers, "--distribute-existing", "--language", "en", stdout=output
            )
            assert schools_local() == [], output.getvalue()
            assert school_nodes([schema])[schema].address in output.getvalue()
            assert Client(HTTP_HOST=provisioned.hostname).get("/").status_code == 200
        finally:
            School.objects.filter(pk=provisioned.school.pk).delete()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_cluster_setup_names_a_badly_written_worker(db):
    with pytest.raises(CommandError, match="host:port"):
        call_command("cluster_setup", "--workers", "worker-without-port", "--language", "en")
