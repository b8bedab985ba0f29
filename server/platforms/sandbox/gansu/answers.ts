/** The platform's answers, worded as the guide words them (返回示例 and 返回结果). */

export interface GansuReply {
  code: number;
  msg: string;
  data?: string | null;
}

export const replies = {
  saved: (): GansuReply => ({ code: 200, msg: '请求成功' }),
  token: (token: string): GansuReply => ({ code: 200, msg: 'ok', data: token }),
  loginFailed: (): GansuReply => ({ code: 500, msg: '获取 token 失败，登录名或者密码错误', data: null }),
  badPath: (path: string): GansuReply => ({ code: 400, msg: '错误的请求路径', data: path }),
  unauthorized: (why: string): GansuReply => ({ code: 401, msg: '未授权访问', data: why }),
  tokenInvalid: (): GansuReply => ({ code: 402, msg: 'token 失效' }),
  notFound: (path: string): GansuReply => ({ code: 404, msg: '未找到接口', data: path }),
  wrongMethod: (): GansuReply => ({ code: 406, msg: '错误的请求方式' }),
  tooManyRows: (n: number, max: number): GansuReply => ({ code: 452, msg: '超出最大条数限制', data: `本次 ${n} 条，最多 ${max} 条` }),
  tooFast: (): GansuReply => ({ code: 453, msg: '接口调用频率过快' }),
  params: (data: string): GansuReply => ({ code: 454, msg: '参数检验失败', data }),
};
