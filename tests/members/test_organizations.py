import pytest

from members.selectors import organization_forest, organization_subtree
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def chain(depth: int):
    """A confederation with ``depth`` levels below it, plus a sibling branch."""
    root = OrganizationFactory()
    node = root
    nodes = [root]
    for _ in range(depth):
        node = OrganizationFactory(parent=node, kind="federation")
        nodes.append(node)
    OrganizationFactory(parent=root, kind="federation")
    return root, nodes


@pytest.mark.parametrize("depth", [1, 6])
def test_subtree_is_one_query_whatever_the_depth(depth, django_assert_num_queries):
    root, nodes = chain(depth)
    unrelated = OrganizationFactory()

    with django_assert_num_queries(1):
        subtree = set(organization_subtree(root=root))

    assert set(nodes) <= subtree
    assert len(subtree) == depth + 2
    assert unrelated not in subtree


def test_subtree_of_a_branch_excludes_its_ancestors_and_siblings():
    _root, nodes = chain(3)

    assert set(organization_subtree(root=nodes[2])) == {nodes[2], nodes[3]}


def test_forest_nests_the_reach_with_member_counts(django_assert_num_queries):
    root, nodes = chain(2)
    MemberFactory.create_batch(3, organization=nodes[2])
    superuser = UserFactory(is_superuser=True)

    with django_assert_num_queries(1):
        forest = organization_forest(user=superuser)

    tree = next(node for node in forest if node.organization == root)
    federation = next(child for child in tree.children if child.organization == nodes[1])
    assert federation.children[0].organization == nodes[2]
    assert federation.children[0].organization.member_count == 3
