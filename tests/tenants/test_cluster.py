"""Issue 15: where schools live on a Citus cluster, and moving them. On a single PostgreSQL the reads say
there is no cluster and the commands refuse in plain words; on a cluster (``make test-citus``) schools are
spread over the nodes and one moves while its site keeps answering."""

import io

import pytest
from django.core.management import CommandError, call_command

from tenants.cluster import ClusterError, cluster_enabled, cluster_nodes, node_find, school_move, school_nodes
from tests.factories import console_client


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
    for command in (["school_move", school.school.schema_name, "1"], ["schools_rebalance"]):
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
