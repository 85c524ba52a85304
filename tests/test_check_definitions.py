"""Names one formula defines, read in later formulas (attnproof/check/definitions.py)."""

from attnproof.check import check_text

SCORES = r"Unnormalised scores: $\eta_{ij} = \mathbf{q}_i \cdot \mathbf{k}_j$." + "\n\n"
USE = (r"$\mathbf{z}_i = \sum_j \frac{\kappa(\mathbf{q}_i, \mathbf{k}_j)}{\sum_l \kappa(\mathbf{q}_i, \mathbf{k}_l)}"
       r" \mathbf{v}_j$")
KERNEL = r"A kernel: $\kappa(\mathbf{q}, \mathbf{k}) = \exp(\mathbf{q}^\top \mathbf{k} / \sqrt{d_k})$." + "\n\n"


def verdicts(text: str) -> list[str]:
    return [f.verdict.value for f in check_text(text)]


def test_an_indexed_name_defined_earlier_is_read_with_its_indices_put_in():
    right = r"$\alpha_{ij} = \mathrm{softmax}_j(\eta_{ij} / \sqrt{d_k})$"
    wrong = r"$\alpha_{ij} = \mathrm{softmax}_j(\eta_{ij} / d_k)$"
    findings = check_text(SCORES + right + "\n\n" + wrong)
    assert [f.verdict.value for f in findings[1:]] == ["ok", "wrong"]
    assert findings[2].message.endswith("(reading the definition on line 1)")
    assert verdicts(right) == ["unrecognised"]  # eta_ij means nothing without line 1


def test_a_function_defined_earlier_is_read_with_its_arguments_put_in():
    wrong = USE.replace(r"\kappa(\mathbf{q}_i, \mathbf{k}_l)", r"\kappa(\mathbf{q}_l, \mathbf{k}_j)")  # over queries
    assert verdicts(KERNEL + USE + "\n\n" + wrong)[1:] == ["ok", "wrong"]  # the k of d_k stays a label


def test_a_definition_found_wrong_is_not_passed_on():
    wrong = r"Weights: $\mathbf{G} = \mathrm{softmax}(\mathbf{Q}\mathbf{K}^\top / d_k)$." + "\n\n"
    use = r"Outputs: $\mathbf{Z} = \mathbf{G}\mathbf{V}$."
    assert verdicts(wrong + use) == ["wrong", "unrecognised"]  # one mistake, reported once
    assert verdicts(wrong.replace("d_k", r"\sqrt{d_k}") + use) == ["ok", "ok"]


def test_a_use_of_a_definition_the_checker_cannot_judge_alone_is_judged_with_it():
    wrong_kernel = KERNEL.replace(r"\sqrt{d_k}", "d_k")  # kappa means nothing to the checker on its own
    findings = check_text(wrong_kernel + USE)
    assert [f.verdict.value for f in findings] == ["unrecognised", "wrong"]
    assert "(reading the definition on line 1)" in findings[1].message


def test_a_name_defined_again_is_not_compared_with_its_old_definition():
    single = r"One head: $\mathbf{Y} = \mathrm{Softmax}[\mathbf{Q}\mathbf{K}^\top / \sqrt{D_k}]\mathbf{V}$." + "\n\n"
    heads = r"Many: $\mathbf{Y}(\mathbf{X}) = \mathrm{Concat}[\mathbf{H}_1, \dots, \mathbf{H}_H] \mathbf{W}^{(o)}$."
    assert "wrong" not in verdicts(single + heads)
