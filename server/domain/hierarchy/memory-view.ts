import { checkPack, checkUnpack, type PackCheck, type UnpackCheck } from './check.js';
import type { PackageRatio } from './ratio.js';
import type { HierarchyView, PackNode } from './types.js';

/**
 * In-memory HierarchyView for tests and dry runs (e.g. checking a relation file before import).
 * `pack`/`unpack` apply the rules and then change the state, like the station will in a transaction.
 */
export class MemoryHierarchy implements HierarchyView {
  private readonly nodes = new Map<string, PackNode>();
  private readonly children = new Map<string, Set<string>>();
  private readonly ratios = new Map<string, PackageRatio>();

  constructor(ratios: Record<string, PackageRatio> = {}) {
    for (const [k, r] of Object.entries(ratios)) this.ratios.set(k, r);
  }

  getNode(code: string): PackNode | undefined {
    return this.nodes.get(code);
  }

  childrenOf(code: string): readonly PackNode[] {
    const set = this.children.get(code);
    return set ? [...set].map((c) => this.nodes.get(c)!) : [];
  }

  ratioFor(productKey: string): PackageRatio | undefined {
    return this.ratios.get(productKey);
  }

  /** Stores a pack as is, parent link included, without checking (fixtures, imported relations). */
  put(node: PackNode): this {
    const old = this.nodes.get(node.code);
    if (old?.parent !== undefined) this.children.get(old.parent)?.delete(node.code);
    this.nodes.set(node.code, { ...node });
    if (node.parent !== undefined) {
      let set = this.children.get(node.parent);
      if (!set) this.children.set(node.parent, (set = new Set()));
      set.add(node.code);
    }
    return this;
  }

  pack(parent: PackNode, child: PackNode): PackCheck {
    const result = checkPack(parent, child, this);
    if (!result.ok) return result;
    if (!this.nodes.has(parent.code)) this.put(parent);
    this.put({ ...(this.nodes.get(child.code) ?? child), parent: parent.code });
    return result;
  }

  /** 拆箱: the link goes; the caller's journal keeps the event. */
  unpack(child: PackNode): UnpackCheck {
    const result = checkUnpack(child, this);
    if (!result.ok) return result;
    const { parent: _gone, ...loose } = this.nodes.get(child.code)!;
    this.put(loose);
    return result;
  }
}
