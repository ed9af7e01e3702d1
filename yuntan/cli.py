"""The ``yuntan`` command line (one entry point, help in Chinese and English)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from yuntan import __version__
from yuntan.gwp import gwp_set_names

DESCRIPTION = (
    "云碳：云南省产品碳足迹管理平台的命令行工具。\n"
    "Yuntan: command line of the Yunnan product carbon footprint platform."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yuntan", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例 / example:  yuntan demo    yuntan footprint study.toml --json",
    )
    parser.add_argument("--version", action="version", version=f"yuntan {__version__}",
                        help="显示版本 / show the version")
    sub = parser.add_subparsers(dest="command", metavar="命令 / command")

    demo = sub.add_parser("demo", help="计算并打印示例产品碳足迹 / compute and print example "
                                       "footprints with their breakdown")
    demo.add_argument("--gwp", default="AR6", choices=gwp_set_names(),
                      help="GWP100 数据集 / GWP100 set (default AR6)")
    demo.add_argument("--iterations", type=int, default=1000,
                      help="蒙特卡罗次数 / Monte Carlo runs (default 1000)")
    demo.add_argument("--no-platform", dest="platform", action="store_false",
                      help="只打印示例，不准备数据库 / only print the examples; leave the "
                           "database alone")
    demo.add_argument("--no-serve", dest="serve", action="store_false",
                      help="准备好数据库后不启动网站 / set up the database but do not start "
                           "the web site")
    demo.add_argument("--address", default="127.0.0.1:8000",
                      help="网站地址 / address of the web site (default 127.0.0.1:8000)")

    fp = sub.add_parser("footprint", help="计算 TOML 清单文件的碳足迹 / compute the footprint "
                                          "of a TOML inventory file")
    fp.add_argument("file", type=Path, help="TOML 文件（[study] 与 [[process]]）/ TOML file")
    fp.add_argument("--gwp", default="AR6", choices=gwp_set_names(),
                    help="GWP100 数据集 / GWP100 set")
    fp.add_argument("--iterations", type=int, default=1000,
                    help="蒙特卡罗次数 / Monte Carlo runs")
    fp.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    gwp = sub.add_parser("gwp", help="列出 GWP100 值及来源 / list GWP100 values and sources")
    gwp.add_argument("--set", default="AR6", choices=gwp_set_names(),
                     help="GWP100 数据集 / GWP100 set")

    label = sub.add_parser("label", help="碳足迹标识 / carbon footprint labels")
    label_sub = label.add_subparsers(dest="label_command", metavar="命令 / command")
    label_verify = label_sub.add_parser(
        "verify", help="离线验证下载的标识文件 / verify a downloaded label file offline")
    label_verify.add_argument("file", type=Path, help="标识 JSON 文件 / label JSON file")
    label_verify.add_argument(
        "--keys", help="认证机构公布的公钥（文件、目录或网址）；缺省只验证完整性 / the "
                       "certification body's published keys (file, directory or URL); "
                       "without it only integrity is checked")

    manage = sub.add_parser("manage", help="Django 管理命令（迁移等）/ Django management "
                                           "commands (migrate, ...)", add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)

    ledger = sub.add_parser("ledger", help="校验账本或签发检查点 / verify the ledger or sign "
                                           "a checkpoint")
    ledger.add_argument("action", choices=["verify", "checkpoint"],
                        help="verify：重走哈希链与检查点 / re-walk the chain and checkpoints; "
                             "checkpoint：签发新检查点 / sign a new checkpoint")
    ledger.add_argument("--every", type=float, metavar="SECONDS",
                        help="checkpoint：每隔若干秒签发一次，持续运行 / keep running, signing a "
                             "checkpoint every SECONDS (a scheduled service)")
    ledger.add_argument("--rounds", type=int, metavar="N",
                        help="与 --every 合用：签发 N 轮后退出 / with --every: stop after N rounds")
    ledger.add_argument("--export", type=Path, metavar="DIR",
                        help="checkpoint：把每个新检查点另存为 DIR/checkpoint-NNNNNN.json，便于公布"
                             "或上链存证 / also write each new checkpoint to DIR as JSON, for "
                             "publication or anchoring (the configured folder, "
                             "YUNTAN_LEDGER_CHECKPOINTS_DIR, gets every checkpoint anyway)")
    ledger.add_argument("--against", type=Path, metavar="DIR",
                        help="verify：再对照 DIR 中导出或公布的检查点文件 / also check the chain "
                             "against the checkpoint files exported or published in DIR")
    return parser


def _demo(args: argparse.Namespace) -> int:
    """Set the platform up (migrate, load the shipped reference data and the demo
    enterprises), print the example footprints and the demo accounts, then serve the web
    site until interrupted."""
    from yuntan.demo import run

    if args.platform:
        from yuntan.platform.manage import run as manage

        print("== 准备数据库 / setting up the database ==", flush=True)
        manage(["migrate", "--noinput", "--verbosity", "0"])
        manage(["load_reference_data"])
    run(sys.stdout, args.gwp, args.iterations)
    if args.platform:
        # The platform's demo enterprises, their footprints and the accounts of every role,
        # printed last so they sit right above the address.
        print("\n== 平台演示数据 / the platform's demo data ==", flush=True)
        manage(["load_demo"])
    if args.platform and args.serve:
        print(f"\n== 网站 / web site: http://{args.address}/  (Ctrl+C 停止 / to stop) ==",
              flush=True)
        # --insecure: serve the bundled static files without a separate web server (demo).
        manage(["runserver", "--insecure", "--noreload", args.address])
    return 0


def _footprint(args: argparse.Namespace) -> int:
    from yuntan.demo import compute, load_demo_factors, report
    from yuntan.formats.inventory_toml import load

    inventory = load(args.file)
    if inventory.study is None:
        print(f"{args.file}: 缺少 [study] 表 / the file has no [study] table", file=sys.stderr)
        return 2
    factors = {**load_demo_factors(), **inventory.factors}
    result, mc = compute(inventory.study, factors, args.gwp, args.iterations)
    if args.json:
        print(json.dumps({
            "total_kg_co2e": result.total, "gwp_set": result.gwp_set,
            "by_stage": dict(result.by_stage), "by_gas": dict(result.by_gas),
            "by_input": dict(result.by_input), "by_origin": dict(result.by_origin),
            "monte_carlo": {"mean": mc.mean, "std": mc.std,
                            "percentiles": {str(k): v for k, v in mc.percentiles.items()}},
            "solver": result.solver, "engine_version": result.engine_version,
            "system_fingerprint": result.system_fingerprint,
        }, ensure_ascii=False, indent=2))
    else:
        report(sys.stdout, inventory.study, factors, result, mc)
    return 0


def _gwp(args: argparse.Namespace) -> int:
    from yuntan.gwp import gases, get_gwp_set

    gwp_set = get_gwp_set(args.set)
    names = gases()
    for (gas, applies_to), value in sorted(gwp_set.values.items()):
        name = names[gas]
        print(f"{gas:<10} {applies_to:<11} {value.value:>10g}  {name.name_zh} / {name.name_en}")
        print(f"{'':<23}来源 / source: {value.source}")
    return 0


def _label(args: argparse.Namespace) -> int:
    """``label verify``: exit 0 valid, 1 invalid, 2 unreadable (label file or keys)."""
    import datetime
    import urllib.request

    from yuntan.labels import (
        UnreadableLabel,
        read_document,
        read_published_keys,
        verify_document,
    )
    from yuntan.labels.keys import load_key_source
    from yuntan.labels.report import verification_report

    if args.label_command != "verify":
        print("用法 / usage: yuntan label verify FILE [--keys FILE_OR_URL_OR_DIR]",
              file=sys.stderr)
        return 2
    try:
        doc = read_document(args.file.read_bytes())
        keys = None
        if args.keys and args.keys.startswith(("https://", "http://")):
            with urllib.request.urlopen(args.keys, timeout=15) as response:
                keys = read_published_keys(response.read())
        elif args.keys:
            keys = load_key_source(Path(args.keys))
        outcome = verify_document(doc, keys)
    except (OSError, UnreadableLabel) as exc:
        print(f"无法读取 / unreadable: {exc}", file=sys.stderr)
        return 2
    print(verification_report(doc, outcome, datetime.date.today()))
    if keys is None:
        print("\n只检查了完整性，未检查签发者：文件自签名后未被改动，但签名所用的是文件自带的公钥，"
              "任何人都能这样签。要确认由认证机构签发，请用 --keys 指定其公布的公钥。\n"
              "Integrity only, not who signed: the file is unchanged since it was signed, but "
              "with the key it carries itself, which anyone can do. To check that the "
              "certification body signed it, pass its published keys with --keys.")
    return 0 if outcome.valid else 1


def main(argv: Sequence[str] | None = None) -> int:
    from yuntan.lca.errors import YuntanLcaError

    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "footprint":
            return _footprint(args)
        if args.command == "gwp":
            return _gwp(args)
        if args.command == "label":
            return _label(args)
        if args.command == "manage":
            from yuntan.platform.manage import run as manage

            manage(list(args.args))
            return 0
        if args.command == "ledger":
            from yuntan.platform.ledger.commandline import run as ledger

            return ledger(args.action, sys.stdout, every=args.every, rounds=args.rounds,
                          export=args.export, against=args.against)
    except YuntanLcaError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
